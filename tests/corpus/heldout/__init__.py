"""The untouched held-out split (see README.md here): tuners never open it."""
