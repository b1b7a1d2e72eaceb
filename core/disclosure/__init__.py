"""The public statistics and their protection: cells and suppression (protection), a release (release), the next
release protected together with the previous one (history), and its open-data files."""
