"""In-app notifications, email (immediate or digest), preferences, quiet hours and one-click
unsubscribe.
"""
