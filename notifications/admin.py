"""Studio pages of this app (registered on rapport.studio.studio_site)."""
