"""Policies: spec.py (what the file says) → loader.py (read, extends) → build.py (check, compile)
→ policy.py (the runnable Policy) ; registry.py finds them."""
