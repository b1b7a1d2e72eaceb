"""What every visitor sees: the public figures and filters, releases, outlook, supply, start, brief, sources, KPI tiles."""
