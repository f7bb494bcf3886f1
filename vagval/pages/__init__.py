"""Pages that combine several apps: the start page (caseload), the person page, the site menu.

The layer above casework and registers (docs/ARCHITECTURE.md, "Layers"): a page that shows
sections of several apps lives here, so that no app imports another app of its own layer or a
higher one to render a page. Views only: the data come from each app's selectors.
"""
