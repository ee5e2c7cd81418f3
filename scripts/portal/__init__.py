"""Demo portal for newsharvest: see README.md."""
