"""Policies: spec.py (what the file says) → loader.py (read, extends) → check.py (named check stages)
→ compile.py → build.py (check then compile)
→ policy.py (the runnable Policy) ; registry.py finds them."""
