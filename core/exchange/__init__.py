"""Files in and out: spreadsheets read safely, the needs and efforts sheets, CSV for Swedish Excel, the cohort
plan's sheet and the printable feedback to a company."""
