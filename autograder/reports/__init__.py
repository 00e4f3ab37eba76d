"""What people read: the terminal table and CSV, the cohort report and student pages, and the charts."""
