"""Writing files safely: atomic replacement, checked content, clean names, French reasons."""
