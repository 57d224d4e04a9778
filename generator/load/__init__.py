"""Load stage: reading the site's files into typed records (see `site.load_site`)."""
