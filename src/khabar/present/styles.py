"""The inline stylesheet of the HTML brief (no fonts, images or imports: nothing external)."""

from __future__ import annotations

__all__ = ["CSS"]

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 0;
       color: #1a1a1a; background: #ffffff; line-height: 1.45; }
main, header.masthead, footer { max-width: 1120px; margin: 0 auto; padding: 0 24px; }
header.masthead { border-bottom: 3px solid #1a1a1a; padding-top: 18px; padding-bottom: 10px; }
h1 { margin: 0 0 4px; font-size: 1.8em; }
h2 { border-bottom: 1px solid #cccccc; padding-bottom: 4px; margin-top: 36px; }
h3 { margin-bottom: 4px; }
h4 { margin: 0 0 4px; font-size: 1.05em; }
.meta, .note, .description { color: #555555; }
.warning { background: #fff8e1; border: 1px solid #f0d98c; padding: 6px 10px; border-radius: 4px; font-size: .9em; }
nav a { margin-right: 12px; }
table { border-collapse: collapse; width: 100%; font-size: .92em; margin: 8px 0 16px; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
th { background: #f3f3f3; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.counts { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 8px; }
dl.counts div { background: #f6f6f6; border-radius: 6px; padding: 8px 10px; }
dl.counts dt { font-size: .8em; color: #555555; text-transform: uppercase; letter-spacing: .04em; }
dl.counts dd { margin: 0; font-size: 1.4em; font-weight: 600; }
figure { margin: 0; overflow-x: auto; }
figure svg { max-width: 100%; height: auto; border: 1px solid #e5e5e5; border-radius: 6px; }
figcaption { color: #555555; font-size: .9em; margin-top: 4px; }
section.tie-type { border-left: 6px solid #777777; padding-left: 14px; margin: 22px 0; }
article.tie { border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
.badge { display: inline-block; font-size: .78em; padding: 1px 7px; border-radius: 10px; margin: 0 4px 2px 0;
         background: #eeeeee; color: #333333; white-space: nowrap; }
.badge.contested { background: #fde0dd; color: #8b1a1a; font-weight: 600; }
.badge.unlisted { background: #fff3cd; color: #7a5b00; }
.badge.mod-asserted { background: #e6f2e6; color: #1d5e1d; }
.badge.mod-negated { background: #f6e1e1; color: #8b1a1a; }
.badge.mod-predicted { background: #e4ecf7; color: #1f4e89; }
.badge.dominant { outline: 1px solid #555555; }
ol.evidence { padding-left: 0; list-style: none; margin: 8px 0 0; }
ol.evidence li { margin: 8px 0; }
blockquote { margin: 0; padding: 4px 12px; border-left: 3px solid #bbbbbb; background: #fafafa;
             white-space: pre-wrap; overflow-wrap: anywhere; }
blockquote.mod-negated { border-left-color: #b2182b; }
blockquote.mod-predicted { border-left-color: #2166ac; border-left-style: dotted; }
.cite { font-size: .85em; color: #555555; margin: 2px 0 0 15px; }
.more { font-size: .85em; color: #555555; font-style: italic; }
.url-text { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .85em; color: #777777;
            overflow-wrap: anywhere; }
table.events td.date { white-space: nowrap; }
table.events td.evidence-cell { font-size: .92em; max-width: 420px; overflow-wrap: anywhere; }
table.events q { color: #333333; }
.swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 6px;
          vertical-align: baseline; }
figure.timeline, figure.map { margin: 12px 0 18px; }
article.activity { border: 1px solid #e2e2e2; border-radius: 6px; padding: 10px 12px; margin: 10px 0; }
article.activity h3 { margin-top: 0; }
figure.spark svg { border: none; }
ul.changes { margin: 6px 0; padding-left: 20px; }
ul.changes li.change-stop { color: #8b1a1a; }
ul.changes li.change-surge { color: #1d5e1d; }
.graded { white-space: nowrap; }
.badge.cred { border: 1px solid #bbbbbb; cursor: help; }
.badge.cred-1, .badge.cred-2 { background: #e6f2e6; color: #1d5e1d; }
.badge.cred-3 { background: #eef4e4; color: #3d5a1d; }
.badge.cred-4 { background: #fff3cd; color: #7a5b00; }
.badge.cred-5 { background: #f6e1e1; color: #8b1a1a; }
.badge.cred-6 { background: #eeeeee; color: #555555; }
.badge.split { background: #fde0dd; color: #8b1a1a; }
ol.judgments { padding-left: 0; list-style: none; margin: 8px 0; }
ol.judgments li.judgment { margin: 12px 0; }
.estimate { margin: 3px 0 0 15px; font-size: .92em; }
.band { font-weight: 600; padding: 0 6px; border-radius: 4px; background: #f1f1f1; }
.band-high { background: #e4ecf7; color: #1f4e89; }
.band-low { background: #f6e1e1; color: #8b1a1a; }
.band-even { background: #eeeeee; color: #333333; }
.speaker { font-weight: 600; }
.outcome-yes { color: #1d5e1d; font-weight: 600; }
.outcome-no { color: #8b1a1a; font-weight: 600; }
table.compare ul.compare { margin: 0; padding-left: 16px; }
table.scores { table-layout: fixed; }
article.disagreement { border: 1px solid #e2e2e2; border-left: 6px solid #777777; border-radius: 6px;
                       padding: 10px 12px; margin: 12px 0; }
article.disagreement h3 { margin-top: 0; }
.tie-words { font-weight: normal; font-style: italic; }
.sides { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 14px; }
.side h4 { margin-top: 6px; }
.side.says-so h4 { color: #1d5e1d; }
.side.says-not h4 { color: #8b1a1a; }
blockquote.says-so { border-left-color: #1b7837; }
blockquote.says-not { border-left-color: #b2182b; }
footer { color: #777777; font-size: .85em; border-top: 1px solid #dddddd; margin-top: 40px; padding: 10px 24px 30px; }
@media print { nav, .warning { display: none; }
  article.tie, article.activity, article.disagreement, li.judgment, figure { break-inside: avoid; } }
"""
