"""A hand-written page using every common kind: the fixture for layout tests."""

from napkin.layout import Node as N
from napkin.layout import Style as S


def t(kind, text="", **kw): return N(kind, text, **kw)
page = N("page", attrs={"title": "Acme"}, children=[
  N("navbar", children=[t("logo","Acme"), N("row", children=[t("link","Product"), t("link","Pricing"), t("link","Docs"), t("button","Sign in", attrs={"variant":"primary"})])]),
  N("section", style=S(align="center", background="#f0f4ff"), children=[
     t("heading","Ship pages from a napkin sketch", attrs={"level":"1"}),
     t("paragraph","Draw it, snap it, and get clean HTML and CSS you would actually want to edit.", attrs={"muted":"1"}),
     N("row", children=[t("button","Get started", attrs={"variant":"primary"}), t("button","Live demo")]),
  ]),
  N("section", children=[
     t("heading","Features", attrs={"level":"2"}),
     N("grid", attrs={"cols":"3"}, children=[
        N("card", children=[t("icon"), t("heading","Fast", attrs={"level":"3"}), t("paragraph","Renders 30 pages a second on two cores.")]),
        N("card", children=[t("icon"), t("heading","Offline", attrs={"level":"3"}), t("paragraph","No network, no GPU, no API key.")]),
        N("card", children=[t("icon"), t("heading","Editable", attrs={"level":"3"}), t("paragraph","Flex and grid, semantic tags, no absolute soup.")]),
     ]),
  ]),
  N("section", children=[
     N("row", children=[
       N("column", children=[t("image","Team at work", attrs={"width":"560","height":"320"})]),
       N("form", children=[t("heading","Contact us", attrs={"level":"3"}), t("input","Your email", attrs={"type":"email"}), t("textarea","Message"), t("checkbox","Subscribe to news", attrs={"checked":"1"}), t("select","Choose a plan"), t("button","Send", attrs={"variant":"primary"})]),
     ]),
     N("table", children=[N("table_row", children=[t("table_cell","Plan",attrs={"header":"1"}), t("table_cell","Price",attrs={"header":"1"})]), N("table_row", children=[t("table_cell","Pro"), t("table_cell","$12")])]),
     N("list", children=[t("list_item","One"), t("list_item","Two")]),
     t("divider"), N("row", children=[t("avatar","Ana"), t("badge","New"), t("video","Demo video")]),
  ]),
  N("footer", children=[t("paragraph","© 2026 Acme Inc.")]),
])
