"""The engine: what every assignment shares. It names no exercise."""
