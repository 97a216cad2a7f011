"""Validation of a channel graph: every problem at once, in linear passes.

The checks, in the order problems are reported: duplicate account ids,
unknown tiers, links to unknown accounts, tier violations, overlapping
duplicate links, second active parents where the tier allows one, gaps and
orphans below the root tier, and cycles.

Cycle detection is cheap in the common case: tier rules only let a tier be
supplied by tiers declared *above* it, so a cycle must contain a link whose
parent does not rank above its child. Only when such a link exists are
strongly connected components searched (iteratively), and a component counts
as a cycle only on a day when all its links are active together.

Examples:
    >>> from datetime import date
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> accounts = [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor"),
    ...             Account("R1", "Kirana", "retailer"), Account("R2", "Stores", "retailer")]
    >>> for p in validate(accounts, INDIAN_FMCG, [Link("P", "D1"), Link("D1", "R1"),
    ...                                              Link("R1", "D1")]):
    ...     print(p.code, p.accounts)
    tier_not_allowed ('R1', 'D1')
    multi_parent ('D1', 'P', 'R1')
    orphan ('R2',)
    cycle ('D1', 'R1')
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date

from distcrm.hierarchy.encoding import OPEN_END, UNKNOWN_TIER, Encoded, ordinal_date
from distcrm.hierarchy.problems import HierarchyProblem
from distcrm.parties import Account, Link, TierRules

__all__ = ["problems_of", "validate"]


def validate(
    accounts: Iterable[Account], rules: TierRules, links: Iterable[Link]
) -> tuple[HierarchyProblem, ...]:
    """Every problem of the graph made of ``accounts`` and ``links`` under ``rules``.

    Does not raise: an empty tuple means the graph is valid.
    :func:`~distcrm.hierarchy.build_graph` raises the same problems as a
    :class:`~distcrm.errors.HierarchyError`.
    """
    return problems_of(Encoded.of(accounts, rules, links))


def _date_text(ordinal: int) -> str:
    d = ordinal_date(ordinal)
    return "open end" if d is None else d.isoformat()


def problems_of(enc: Encoded) -> tuple[HierarchyProblem, ...]:
    """Every problem of an encoded graph (see the module docstring for the order)."""
    out: list[HierarchyProblem] = []
    rules = enc.rules
    names = rules.names
    n = len(enc.ids)
    accounts = enc.accounts

    if len(enc.index) != n:
        counts = Counter(enc.ids)
        for i, acct in enumerate(accounts):
            if counts[acct.id] > 1 and enc.index[acct.id] != i:
                out.append(
                    HierarchyProblem(
                        f"$.accounts[{i}].id",
                        f"account {acct.id!r} is declared more than once",
                        "duplicate_account",
                        (acct.id,),
                    )
                )

    tier_code = enc.tier_code
    if UNKNOWN_TIER in tier_code:
        for i, acct in enumerate(accounts):
            if tier_code[i] == UNKNOWN_TIER:
                out.append(
                    HierarchyProblem(
                        f"$.accounts[{i}].tier",
                        f"account {acct.id!r} has tier {acct.tier!r}, which is not one of "
                        f"{', '.join(names)}",
                        "unknown_tier",
                        (acct.id,),
                    )
                )

    lp, lc = enc.link_parent, enc.link_child
    if -1 in lp or -1 in lc:
        for li, link in enumerate(enc.links):
            missing = [
                name for name, idx in ((link.parent, lp[li]), (link.child, lc[li])) if idx < 0
            ]
            for name in missing:
                out.append(
                    HierarchyProblem(
                        f"$.links[{li}]",
                        f"link {enc.link_text(li)}: unknown account {name!r}",
                        "unknown_account",
                        (name,),
                    )
                )

    # Tier rules: a table of allowed (parent tier, child tier) codes.
    t = len(names)
    allowed = bytearray(256 * 256)
    for ci, tier in enumerate(rules.tiers):
        for parent in tier.parents:
            allowed[names.index(parent) * 256 + ci] = 1
    suspicious = False  # a link whose parent does not rank above its child: cycles possible
    bad = [
        li
        for li, p, c in zip(range(len(lp)), lp, lc, strict=True)
        if p >= 0 and c >= 0 and not allowed[tier_code[p] * 256 + tier_code[c]]
    ]
    for li in bad:
        p, c = lp[li], lc[li]
        tp, tc = tier_code[p], tier_code[c]
        if tp >= t or tc >= t:
            suspicious = True
            continue  # reported as unknown_tier
        if tp >= tc:
            suspicious = True
        child_tier = names[tc]
        may = sorted(rules.tier(child_tier).parents, key=names.index)
        out.append(
            HierarchyProblem(
                f"$.links[{li}]",
                f"link {enc.link_text(li)}: {enc.ids[p]!r} is a {names[tp]}, which may not "
                f"supply {enc.ids[c]!r}, a {child_tier}"
                + (f" (a {child_tier} is supplied by: {', '.join(may)})" if may else
                   f" ({child_tier} is a root tier and has no parent)"),
                "tier_not_allowed",
                (enc.ids[p], enc.ids[c]),
            )
        )

    # Per child: overlapping duplicates, second parents, gaps; then orphans.
    ls, le = enc.link_start, enc.link_end
    root_tiers = bytes(
        [1 if rules.is_root(name) else 0 for name in names] + [1] * (256 - t)
    )
    for c in sorted(enc.more_links):
        lis = sorted(enc.more_links[c], key=lambda li: (ls[li], le[li], lp[li]))
        ctier = tier_code[c]
        multi_ok = ctier < t and rules.tiers[ctier].multi_parent
        cname = enc.account_text(c)
        for a_pos, a in enumerate(lis):
            for b in lis[a_pos + 1 :]:
                if ls[b] >= le[a]:
                    break
                start = max(ls[a], ls[b])
                if lp[a] == lp[b]:
                    out.append(
                        HierarchyProblem(
                            f"$.links[{b}]",
                            f"links {enc.link_text(a)} and {enc.link_text(b)} overlap from "
                            f"{_date_text(start)}",
                            "duplicate_link",
                            (enc.ids[lp[a]], enc.ids[c]),
                        )
                    )
                elif not multi_ok and lp[a] >= 0 and lp[b] >= 0:
                    pa, pb = enc.ids[lp[a]], enc.ids[lp[b]]
                    out.append(
                        HierarchyProblem(
                            f"$.links[{b}]",
                            f"account {cname} has two active parents {pa!r} and {pb!r} from "
                            f"{_date_text(start)} (links {enc.link_text(a)} and "
                            f"{enc.link_text(b)}); a {names[ctier] if ctier < t else 'tier'} "
                            "may have only one parent",
                            "multi_parent",
                            (enc.ids[c], pa, pb),
                        )
                    )
        if root_tiers[ctier]:
            continue
        covered_to = le[lis[0]]
        for li in lis[1:]:
            if ls[li] > covered_to:
                out.append(
                    HierarchyProblem(
                        f"$.links[{li}]",
                        f"account {cname} has no parent from {_date_text(covered_to)} to "
                        f"{_date_text(ls[li])} (between its links; re-parent without a gap)",
                        "gap",
                        (enc.ids[c],),
                    )
                )
            covered_to = max(covered_to, le[li])

    first = enc.first_link
    need_parent = tier_code.translate(root_tiers)  # 0 where a parent is needed
    pos = need_parent.find(0)
    while pos >= 0:
        if first[pos] < 0:
            acct = accounts[pos]
            may = sorted(rules.tier(acct.tier).parents, key=names.index)
            out.append(
                HierarchyProblem(
                    f"$.accounts[{pos}]",
                    f"account {acct.id!r} ({acct.tier}) has no parent link; a {acct.tier} "
                    f"must be supplied by one of: {', '.join(may)}",
                    "orphan",
                    (acct.id,),
                )
            )
        pos = need_parent.find(0, pos + 1)

    if suspicious:
        out.extend(_cycles(enc))
    return tuple(out)


def _strong_components(n: int, adj: dict[int, list[int]]) -> list[list[int]]:
    """Strongly connected components with more than one node (iterative Tarjan)."""
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    result: list[list[int]] = []
    counter = 0
    for root in sorted(adj):
        if root in index_of:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            v, pos = work.pop()
            if pos == 0:
                index_of[v] = low[v] = counter
                counter += 1
                stack.append(v)
                on_stack.add(v)
            succ = adj.get(v, [])
            if pos < len(succ):
                work.append((v, pos + 1))
                w = succ[pos]
                if w not in index_of:
                    work.append((w, 0))
                elif w in on_stack:
                    low[v] = min(low[v], index_of[w])
                continue
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index_of[v]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == v:
                        break
                if len(comp) > 1:
                    result.append(comp)
    del n
    return result


def _find_cycle(nodes: list[int], adj: dict[int, list[int]]) -> list[int] | None:
    """One cycle in ``adj`` (restricted to ``nodes``), as a node list, or ``None``."""
    colour: dict[int, int] = {}
    for start in nodes:
        if start in colour:
            continue
        path: list[int] = []
        work: list[tuple[int, int]] = [(start, 0)]
        while work:
            v, pos = work.pop()
            if pos == 0:
                colour[v] = 1
                path.append(v)
            succ = adj.get(v, [])
            if pos < len(succ):
                work.append((v, pos + 1))
                w = succ[pos]
                state = colour.get(w, 0)
                if state == 1:
                    return path[path.index(w) :]
                if state == 0:
                    work.append((w, 0))
                continue
            colour[v] = 2
            path.pop()
    return None


def _cycles(enc: Encoded) -> list[HierarchyProblem]:
    """Cycles active on some day: child -> parent edges, checked per component and date."""
    lp, lc, ls, le = enc.link_parent, enc.link_child, enc.link_start, enc.link_end
    adj: dict[int, list[int]] = {}
    for p, c in zip(lp, lc, strict=True):
        if p >= 0 and c >= 0:
            adj.setdefault(c, []).append(p)
    out: list[HierarchyProblem] = []
    seen: set[frozenset[int]] = set()
    components = _strong_components(len(enc.ids), adj)
    component_of = {v: k for k, comp in enumerate(components) for v in comp}
    links_of: list[list[int]] = [[] for _ in components]
    for li, (p, c) in enumerate(zip(lp, lc, strict=True)):
        k = component_of.get(c)
        if k is not None and component_of.get(p) == k:
            links_of[k].append(li)
    for comp_links in links_of:
        for day in sorted({ls[li] for li in comp_links}):
            active: dict[int, list[int]] = {}
            for li in comp_links:
                if ls[li] <= day < le[li]:
                    active.setdefault(lc[li], []).append(lp[li])
            cycle = _find_cycle(sorted(active), active)
            if cycle is None or frozenset(cycle) in seen:
                continue
            seen.add(frozenset(cycle))
            names = [enc.ids[i] for i in cycle]
            on = date.fromordinal(day) if day < OPEN_END else None
            loop = " -> ".join(repr(x) for x in [*names, names[0]])
            out.append(
                HierarchyProblem(
                    "$.links",
                    f"cycle {loop} (child -> parent) active on {on}: "
                    + ", ".join(enc.account_text(i) for i in cycle),
                    "cycle",
                    tuple(names),
                )
            )
    return out
