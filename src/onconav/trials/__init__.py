"""Clinical trials: registry records imported from ClinicalTrials.gov API v2 JSON, criteria
parsed into checks, and matching against a patient profile (docs/trials.md)."""
