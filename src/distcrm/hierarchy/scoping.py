"""Scoping and data isolation: who may see and change which accounts' data.

A viewer's scope on a day is its own subtree: a principal (any root-tier
account) sees every account of the graph, a distributor itself and every
account below it, a reseller or retailer only itself.

:class:`ScopedStore` wraps any :class:`~distcrm.repositories.Store` for one
viewer (a distributor portal, a reseller login). Reads are filtered and
writes outside the scope raise :class:`~distcrm.errors.AccessDenied` naming the
viewer and the account, with nothing changed. The rules, repository by repository:

* **accounts** — visible and writable when the account is in scope. A new
  account is not in anyone's scope but a root viewer's until it is linked, so
  only the principal adds accounts (as in a partner program: distributors do
  not add resellers themselves).
* **links** — visible when the child is in scope; written when parent and child
  both are. ``replace_all`` is for root viewers only.
* **documents** — visible and writable when the seller **or** the buyer is in
  scope (a distributor sees what it bought and what it sold).
* **visits** — visible and writable when the visited account is in scope.
* **claims** — visible and writable when the claim's ``claimant`` (or ``account``)
  is in scope; claims without either are for root viewers only.
* **products, price lists, schemes** — shared definitions: everyone reads them,
  only root viewers write them.

``get`` of something outside the scope raises ``AccessDenied``; ``find`` returns
``None``; ``in`` answers ``False``; ``len`` and ``all`` count and list only the
visible part.

Examples:
    >>> from datetime import date
    >>> from distcrm.hierarchy import build_graph
    >>> from distcrm.parties import INDIAN_FMCG, Account, Link
    >>> g = build_graph(
    ...     [Account("P", "Brand", "principal"), Account("D1", "Shree", "distributor"),
    ...      Account("D2", "Om", "distributor"), Account("R1", "Kirana", "retailer"),
    ...      Account("R2", "Stores", "retailer")],
    ...     INDIAN_FMCG,
    ...     [Link("P", "D1"), Link("P", "D2"), Link("D1", "R1"), Link("D2", "R2")],
    ... )
    >>> sorted(visible_accounts(g, "D1", on=date(2025, 6, 1)))
    ['D1', 'R1']
    >>> sorted(visible_accounts(g, "R2", on=date(2025, 6, 1)))
    ['R2']
    >>> len(visible_accounts(g, "P", on=date(2025, 6, 1)))
    5
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Generic, TypeVar

import attrs

from distcrm.catalog import Product
from distcrm.documents import Document, DocumentKind, Level
from distcrm.hierarchy.graph import ChannelGraph
from distcrm.hierarchy.problems import AccessDenied
from distcrm.parties import Account, AccountId, Link
from distcrm.repositories import (
    AccountRepository,
    ClaimRepository,
    DocumentRepository,
    Keyed,
    KeyedRepository,
    LinkRepository,
    PriceListRepository,
    ProductRepository,
    SchemeRepository,
    Store,
    Versioned,
    VisitRepository,
)
from distcrm.visits import Visit

__all__ = ["Scope", "ScopedStore", "scope_of", "visible_accounts"]


@attrs.frozen
class Scope:
    """The accounts one viewer may see on one day.

    Attributes:
        viewer: the viewing account.
        on: the day the hierarchy was read.
        everything: True for a root-tier viewer (sees every account).
        accounts: the visible account ids when ``everything`` is False.
    """

    viewer: AccountId
    on: date
    everything: bool
    accounts: frozenset[AccountId] = frozenset()

    def __contains__(self, account: object) -> bool:
        return self.everything or account in self.accounts

    def denied(self, action: str, what: str) -> AccessDenied:
        """The error for ``action`` on ``what`` outside this scope."""
        return AccessDenied(
            f"viewer {self.viewer!r} may not {action} {what}: outside its scope "
            f"(its own subtree on {self.on.isoformat()})"
        )


def scope_of(graph: ChannelGraph, viewer: str, *, on: date) -> Scope:
    """The :class:`Scope` of ``viewer`` on ``on`` (raises ``HierarchyError`` if not in network)."""
    snap = graph.as_of(on)
    i = snap.index_of(viewer)
    vid = graph.encoded.ids[i]
    if graph.rules.is_root(graph.encoded.accounts[i].tier):
        return Scope(vid, on, True)
    return Scope(vid, on, False, frozenset(snap.subtree(viewer)))


def visible_accounts(graph: ChannelGraph, viewer: str, *, on: date) -> frozenset[AccountId]:
    """Ids of every account ``viewer`` may see on ``on``: all for a root, else its subtree."""
    scope = scope_of(graph, viewer, on=on)
    if scope.everything:
        return frozenset(graph.encoded.ids)
    return scope.accounts


class _ScopedAccounts:
    def __init__(self, repo: AccountRepository, scope: Scope) -> None:
        self._repo, self._scope = repo, scope

    def _check(self, account: str, action: str) -> None:
        if account not in self._scope:
            raise self._scope.denied(action, f"account {account!r}")

    def get(self, id: str) -> Account:
        self._check(id, "read")
        return self._repo.get(id)

    def find(self, id: str) -> Account | None:
        return self._repo.find(id) if id in self._scope else None

    def add(self, entity: Account) -> None:
        self._check(entity.id, "add")
        self._repo.add(entity)

    def add_many(self, entities: Iterable[Account]) -> int:
        batch = list(entities)
        for e in batch:
            self._check(e.id, "add")
        return self._repo.add_many(batch)

    def put(self, entity: Account) -> None:
        self._check(entity.id, "write")
        self._repo.put(entity)

    def remove(self, id: str) -> None:
        self._check(id, "remove")
        self._repo.remove(id)

    def all(self) -> Iterator[Account]:
        if self._scope.everything:
            yield from self._repo.all()
            return
        for account in sorted(self._scope.accounts):
            found = self._repo.find(account)
            if found is not None:
                yield found

    def by_tier(self, tier: str) -> Iterator[Account]:
        return (a for a in self._repo.by_tier(tier) if a.id in self._scope)

    def by_territory(self, territory: str) -> Iterator[Account]:
        return (a for a in self._repo.by_territory(territory) if a.id in self._scope)

    def __len__(self) -> int:
        return sum(1 for _ in self.all())

    def __contains__(self, id: object) -> bool:
        return id in self._scope and id in self._repo


class _ScopedLinks:
    def __init__(self, repo: LinkRepository, scope: Scope) -> None:
        self._repo, self._scope = repo, scope

    def _check(self, link: Link) -> None:
        for account in (link.parent, link.child):
            if account not in self._scope:
                raise self._scope.denied("write", f"link {link.id!r} (account {account!r})")

    def add(self, link: Link) -> None:
        self._check(link)
        self._repo.add(link)

    def add_many(self, links: Iterable[Link]) -> int:
        batch = list(links)
        for link in batch:
            self._check(link)
        return self._repo.add_many(batch)

    def replace_all(self, links: Iterable[Link]) -> None:
        if not self._scope.everything:
            raise self._scope.denied("replace", "the whole link set")
        self._repo.replace_all(links)

    def of_child(self, child: str) -> Iterator[Link]:
        if child not in self._scope:
            return iter(())
        return self._repo.of_child(child)

    def of_parent(self, parent: str) -> Iterator[Link]:
        return (lk for lk in self._repo.of_parent(parent) if lk.child in self._scope)

    def all(self) -> Iterator[Link]:
        return (lk for lk in self._repo.all() if lk.child in self._scope)

    def __len__(self) -> int:
        return sum(1 for _ in self.all())


class _ScopedDocuments:
    def __init__(self, repo: DocumentRepository, scope: Scope) -> None:
        self._repo, self._scope = repo, scope

    def _visible(self, doc: Document) -> bool:
        return doc.seller in self._scope or doc.buyer in self._scope

    def _check(self, doc: Document, action: str) -> None:
        if not self._visible(doc):
            raise self._scope.denied(
                action, f"document {doc.id!r} (seller {doc.seller!r}, buyer {doc.buyer!r})"
            )

    def _check_existing(self, id: str, action: str) -> None:
        existing = self._repo.find(id)
        if existing is not None:
            self._check(existing, action)

    def get(self, id: str) -> Document:
        doc = self._repo.get(id)
        self._check(doc, "read")
        return doc

    def find(self, id: str) -> Document | None:
        doc = self._repo.find(id)
        return doc if doc is not None and self._visible(doc) else None

    def add(self, entity: Document) -> None:
        self._check(entity, "add")
        self._check_existing(entity.id, "overwrite")
        self._repo.add(entity)

    def add_many(self, entities: Iterable[Document]) -> int:
        batch = list(entities)
        for e in batch:
            self._check(e, "add")
            self._check_existing(e.id, "overwrite")
        return self._repo.add_many(batch)

    def put(self, entity: Document) -> None:
        self._check(entity, "write")
        self._check_existing(entity.id, "overwrite")
        self._repo.put(entity)

    def remove(self, id: str) -> None:
        doc = self._repo.get(id)
        self._check(doc, "remove")
        self._repo.remove(id)

    def all(self) -> Iterator[Document]:
        return (d for d in self._repo.all() if self._visible(d))

    def query(
        self,
        *,
        seller: str | None = None,
        buyer: str | None = None,
        start: date | None = None,
        end: date | None = None,
        sku: str | None = None,
        kind: DocumentKind | None = None,
        level: Level | None = None,
    ) -> Iterator[Document]:
        found = self._repo.query(
            seller=seller, buyer=buyer, start=start, end=end, sku=sku, kind=kind, level=level
        )
        return (d for d in found if self._visible(d))

    def __len__(self) -> int:
        return sum(1 for _ in self.all())

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.find(id) is not None


class _ScopedVisits:
    def __init__(self, repo: VisitRepository, scope: Scope) -> None:
        self._repo, self._scope = repo, scope

    def _check(self, visit: Visit, action: str) -> None:
        if visit.account not in self._scope:
            raise self._scope.denied(action, f"visit {visit.id!r} (account {visit.account!r})")

    def _check_existing(self, id: str) -> None:
        existing = self._repo.find(id)
        if existing is not None:
            self._check(existing, "overwrite")

    def get(self, id: str) -> Visit:
        visit = self._repo.get(id)
        self._check(visit, "read")
        return visit

    def find(self, id: str) -> Visit | None:
        visit = self._repo.find(id)
        return visit if visit is not None and visit.account in self._scope else None

    def add(self, entity: Visit) -> None:
        self._check(entity, "add")
        self._check_existing(entity.id)
        self._repo.add(entity)

    def add_many(self, entities: Iterable[Visit]) -> int:
        batch = list(entities)
        for e in batch:
            self._check(e, "add")
            self._check_existing(e.id)
        return self._repo.add_many(batch)

    def put(self, entity: Visit) -> None:
        self._check(entity, "write")
        self._check_existing(entity.id)
        self._repo.put(entity)

    def remove(self, id: str) -> None:
        self._check(self._repo.get(id), "remove")
        self._repo.remove(id)

    def all(self) -> Iterator[Visit]:
        return (v for v in self._repo.all() if v.account in self._scope)

    def query(
        self,
        *,
        rep: str | None = None,
        account: str | None = None,
        start: date | None = None,
        end: date | None = None,
    ) -> Iterator[Visit]:
        found = self._repo.query(rep=rep, account=account, start=start, end=end)
        return (v for v in found if v.account in self._scope)

    def __len__(self) -> int:
        return sum(1 for _ in self.all())

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.find(id) is not None


K = TypeVar("K", bound=Keyed)


class _SharedKeyed(Generic[K]):
    """Shared definitions (price lists, schemes): everyone reads, root viewers write."""

    def __init__(self, repo: KeyedRepository[K], scope: Scope, what: str) -> None:
        self._repo, self._scope, self._what = repo, scope, what

    def _check(self, id: str, action: str) -> None:
        if not self._scope.everything:
            raise self._scope.denied(action, f"{self._what} {id!r}")

    def get(self, id: str) -> K:
        return self._repo.get(id)

    def find(self, id: str) -> K | None:
        return self._repo.find(id)

    def add(self, entity: K) -> None:
        self._check(entity.id, "add")
        self._repo.add(entity)

    def add_many(self, entities: Iterable[K]) -> int:
        batch = list(entities)
        for e in batch:
            self._check(e.id, "add")
        return self._repo.add_many(batch)

    def put(self, entity: K) -> None:
        self._check(entity.id, "write")
        self._repo.put(entity)

    def remove(self, id: str) -> None:
        self._check(id, "remove")
        self._repo.remove(id)

    def all(self) -> Iterator[K]:
        return self._repo.all()

    def __len__(self) -> int:
        return len(self._repo)

    def __contains__(self, id: object) -> bool:
        return id in self._repo


class _SharedProducts:
    def __init__(self, repo: ProductRepository, scope: Scope) -> None:
        self._repo, self._scope = repo, scope

    def _check(self, sku: str, action: str) -> None:
        if not self._scope.everything:
            raise self._scope.denied(action, f"product {sku!r}")

    def get(self, sku: str) -> Product:
        return self._repo.get(sku)

    def find(self, sku: str) -> Product | None:
        return self._repo.find(sku)

    def add(self, product: Product) -> None:
        self._check(product.sku, "add")
        self._repo.add(product)

    def add_many(self, products: Iterable[Product]) -> int:
        batch = list(products)
        for p in batch:
            self._check(p.sku, "add")
        return self._repo.add_many(batch)

    def put(self, product: Product) -> None:
        self._check(product.sku, "write")
        self._repo.put(product)

    def all(self) -> Iterator[Product]:
        return self._repo.all()

    def __len__(self) -> int:
        return len(self._repo)

    def __contains__(self, sku: object) -> bool:
        return sku in self._repo


V = TypeVar("V", bound=Versioned)


def claim_owner(claim: object) -> str | None:
    """The account a claim belongs to: its ``claimant``, else its ``account``, else ``None``."""
    for name in ("claimant", "account"):
        owner = getattr(claim, name, None)
        if isinstance(owner, str):
            return owner
    return None


class _ScopedClaims(Generic[V]):
    def __init__(self, repo: ClaimRepository[V], scope: Scope) -> None:
        self._repo, self._scope = repo, scope

    def _visible(self, claim: V) -> bool:
        owner = claim_owner(claim)
        return self._scope.everything or (owner is not None and owner in self._scope)

    def _check(self, claim: V, action: str) -> None:
        if not self._visible(claim):
            raise self._scope.denied(
                action, f"claim {claim.id!r} (claimant {claim_owner(claim)!r})"
            )

    def get(self, id: str) -> V:
        claim = self._repo.get(id)
        self._check(claim, "read")
        return claim

    def find(self, id: str) -> V | None:
        claim = self._repo.find(id)
        return claim if claim is not None and self._visible(claim) else None

    def save(self, claim: V, *, expected_version: int) -> V:
        self._check(claim, "write")
        existing = self._repo.find(claim.id)
        if existing is not None:
            self._check(existing, "overwrite")
        return self._repo.save(claim, expected_version=expected_version)

    def all(self) -> Iterator[V]:
        return (c for c in self._repo.all() if self._visible(c))

    def __len__(self) -> int:
        return sum(1 for _ in self.all())

    def __contains__(self, id: object) -> bool:
        return isinstance(id, str) and self.find(id) is not None


class ScopedStore:
    """A :class:`~distcrm.repositories.Store` seen by one viewer on one day.

    Args:
        store: the store to wrap (any implementation of the ports).
        graph: the channel graph that defines scopes.
        viewer: the account whose portal this is.
        on: the day whose hierarchy decides the scope.

    Examples:
        >>> from datetime import date
        >>> from distcrm.hierarchy import build_graph
        >>> from distcrm.parties import INDIAN_FMCG, Account, Link
        >>> g = build_graph([Account("P", "B", "principal"), Account("D1", "S", "distributor"),
        ...                  Account("D2", "O", "distributor")],
        ...                 INDIAN_FMCG, [Link("P", "D1"), Link("P", "D2")])
        >>> scope = scope_of(g, "D1", on=date(2025, 6, 1))
        >>> "D1" in scope, "D2" in scope
        (True, False)
        >>> print(scope.denied("write", "account 'D2'"))
        viewer 'D1' may not write account 'D2': outside its scope (its own subtree on 2025-06-01)
    """

    def __init__(self, store: Store, graph: ChannelGraph, viewer: str, *, on: date) -> None:
        self.scope = scope_of(graph, viewer, on=on)
        self._store = store
        self._accounts = _ScopedAccounts(store.accounts, self.scope)
        self._links = _ScopedLinks(store.links, self.scope)
        self._documents = _ScopedDocuments(store.documents, self.scope)
        self._visits = _ScopedVisits(store.visits, self.scope)
        self._claims: _ScopedClaims[Versioned] = _ScopedClaims(store.claims, self.scope)
        self._products = _SharedProducts(store.products, self.scope)
        self._price_lists: _SharedKeyed[Keyed] = _SharedKeyed(
            store.price_lists, self.scope, "price list"
        )
        self._schemes: _SharedKeyed[Keyed] = _SharedKeyed(store.schemes, self.scope, "scheme")

    @property
    def viewer(self) -> AccountId:
        """The viewing account."""
        return self.scope.viewer

    @property
    def accounts(self) -> AccountRepository:
        """Accounts in scope."""
        return self._accounts

    @property
    def products(self) -> ProductRepository:
        """Products (read by all, written by root viewers)."""
        return self._products

    @property
    def links(self) -> LinkRepository:
        """Links whose child is in scope."""
        return self._links

    @property
    def price_lists(self) -> PriceListRepository[Keyed]:
        """Price lists (read by all, written by root viewers)."""
        return self._price_lists

    @property
    def schemes(self) -> SchemeRepository[Keyed]:
        """Schemes (read by all, written by root viewers)."""
        return self._schemes

    @property
    def documents(self) -> DocumentRepository:
        """Documents whose seller or buyer is in scope."""
        return self._documents

    @property
    def claims(self) -> ClaimRepository[Versioned]:
        """Claims whose claimant is in scope."""
        return self._claims

    @property
    def visits(self) -> VisitRepository:
        """Visits to accounts in scope."""
        return self._visits
