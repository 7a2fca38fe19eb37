"""Tiny helpers to build the read-only detail panels as HTML."""

from __future__ import annotations

from html import escape


def esc(value: object) -> str:
    return escape("" if value is None else str(value))


def heading(title: str, subtitle: str = "") -> str:
    html = f"<h2 style='margin-bottom:2px'>{esc(title)}</h2>"
    if subtitle:
        html += f"<p style='color:#555;margin-top:0'>{esc(subtitle)}</p>"
    return html


def section(title: str) -> str:
    return f"<h3 style='margin-bottom:4px;color:#1a4f8b'>{esc(title)}</h3>"


def fields(pairs: list[tuple[str, object]]) -> str:
    """A two-column table of label / value, skipping empty values."""
    rows = "".join(
        f"<tr><td style='color:#555;padding-right:12px'>{esc(label)}</td><td>{esc(value)}</td></tr>"
        for label, value in pairs
        if value not in (None, "", [])
    )
    return f"<table cellspacing='2'>{rows}</table>"


def bullet_list(items: list[str], ordered: bool = False) -> str:
    if not items:
        return "<p style='color:#777'>—</p>"
    tag = "ol" if ordered else "ul"
    return f"<{tag}>" + "".join(f"<li>{esc(item)}</li>" for item in items) + f"</{tag}>"


def paragraphs(text: str) -> str:
    return "".join(f"<p>{esc(line)}</p>" for line in text.splitlines() if line.strip())
