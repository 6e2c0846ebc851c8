"""Analytics (issue 10): programme dashboards, rollups, connection analytics and xAPI forwarding.
It only reads the other apps (its own tables are rollups and the forwarding backlog)."""
