"""The expression language: grammar.lark → parser.py (syntax tree in syntax.py) → checker.py (names and
types, see types.py and functions.py) → compiler.py (Python code objects) → runtime.py (helpers)."""
