"""Tests of hover knowledge (API texts, myth detectors) and site-specific hover."""
