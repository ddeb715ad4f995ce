"""keras-tuner searches (see the issue tracker); empty until the tuning issue lands."""
