"""Missions and the reflection journal (issue 8): what a learner writes about their own
experience, private by default and shared at the level they choose (`rapport.policy.Visibility`)."""
