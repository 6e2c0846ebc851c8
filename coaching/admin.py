"""No studio pages yet: what coach and learner say to each other is theirs (docs/permissions.md)."""
