"""PRESENT: render the brief data as a self-contained HTML file or as Markdown.

``render_html`` and ``render_markdown`` take the brief data dict built by the
workspace; ``network_svg`` draws the actor network as inline SVG. All text from
the data is escaped: documents are hostile input.
"""

from .brief import render_html, render_markdown
from .network import network_svg

__all__ = ["render_html", "render_markdown", "network_svg"]
