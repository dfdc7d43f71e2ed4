"""Packaged region data (regions.csv.gz) and the script that builds it."""
