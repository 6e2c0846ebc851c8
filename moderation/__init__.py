"""Keeping the community safe: reports, hiding posts with a reason, and the moderation audit log."""
