"""No studio pages yet."""
