"""The REST route table's building blocks and the namespace index WordPress derives from it.

A :class:`Route` is what ``register_rest_route`` registers: a path pattern (with PCRE named
groups, exactly as WordPress prints it in the index) and one or more :class:`Endpoint` s (a
method group, its argument schemas, its permission rule and its handler). The index served at
``GET /wp-json/<namespace>`` (recording 01) is generated from the same table, so it can never
disagree with what the simulator really serves.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ArgSchema = Mapping[str, Any]

# ------------------------------------------------------------------ argument schemas
# Key order and wording as the real index prints them (recording 01).
CONTEXT_ARG: ArgSchema = {
    "description": "Scope under which the request is made; determines fields present in response.",
    "type": "string",
    "required": False,
}
PAGE_ARG: ArgSchema = {
    "description": "Current page of the collection.",
    "type": "integer",
    "default": 1,
    "minimum": 1,
    "required": False,
}
PER_PAGE_ARG: ArgSchema = {
    "description": "Maximum number of items to be returned in result set.",
    "type": "integer",
    "default": 10,
    "minimum": 1,
    "maximum": 100,
    "required": False,
}
SEARCH_ARG: ArgSchema = {
    "description": "Limit results to those matching a string.",
    "type": "string",
    "required": False,
}
ID_ARG: ArgSchema = {
    "description": "Unique identifier for the object.",
    "type": "integer",
    "required": False,
}
STATUS_ARG: ArgSchema = {"type": "string", "description": "Order Status", "required": True}

#: ``get_collection_params()`` of the WCFM REST controllers.
COLLECTION_ARGS: dict[str, ArgSchema] = {
    "context": CONTEXT_ARG,
    "page": PAGE_ARG,
    "per_page": PER_PAGE_ARG,
    "search": SEARCH_ARG,
}

#: The user-profile route borrows WooCommerce's customers collection params.
USER_PROFILE_ARGS: dict[str, ArgSchema] = {
    "context": {
        "description": CONTEXT_ARG["description"],
        "type": "string",
        "enum": ["view", "edit"],
        "default": "view",
        "required": False,
    },
    "page": PAGE_ARG,
    "per_page": PER_PAGE_ARG,
    "search": SEARCH_ARG,
    "exclude": {
        "description": "Ensure result set excludes specific IDs.",
        "type": "array",
        "items": {"type": "integer"},
        "default": [],
        "required": False,
    },
    "include": {
        "description": "Limit result set to specific IDs.",
        "type": "array",
        "items": {"type": "integer"},
        "default": [],
        "required": False,
    },
    "offset": {
        "description": "Offset the result set by a specific number of items.",
        "type": "integer",
        "required": False,
    },
    "order": {
        "default": "asc",
        "description": "Order sort attribute ascending or descending.",
        "enum": ["asc", "desc"],
        "type": "string",
        "required": False,
    },
    "orderby": {
        "default": "name",
        "description": "Sort collection by object attribute.",
        "enum": ["id", "include", "name", "registered_date"],
        "type": "string",
        "required": False,
    },
    "email": {
        "description": "Limit result set to resources with a specific email.",
        "type": "string",
        "format": "email",
        "required": False,
    },
    "role": {
        "description": "Limit result set to resources with a specific role.",
        "type": "string",
        "default": "customer",
        "enum": [
            "all",
            "administrator",
            "editor",
            "author",
            "contributor",
            "subscriber",
            "customer",
            "shop_manager",
            "disable_vendor",
            "wcfm_vendor",
        ],
        "required": False,
    },
}


def with_id(args: Mapping[str, ArgSchema]) -> dict[str, ArgSchema]:
    """``id`` first, then the given args (single-object routes)."""
    return {"id": ID_ARG, **args}


# ------------------------------------------------------------------ the table
Handler = Callable[[Any], Any]
Permission = Callable[[Any], Any]


@dataclass(frozen=True)
class Endpoint:
    """One ``register_rest_route`` handler: methods, args, permission rule, callback.

    ``args`` None prints as ``[]`` in the index (a route registered without args).
    """

    methods: tuple[str, ...]
    handler: Handler
    permission: Permission
    args: Mapping[str, ArgSchema] | None = None


@dataclass(frozen=True)
class Route:
    namespace: str
    pattern: str  # e.g. "/wcfmmp/v1/orders/(?P<id>[\\d]+)", as printed in the index
    endpoints: tuple[Endpoint, ...]
    regex: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "regex", re.compile(f"^{self.pattern}$", re.IGNORECASE))

    @property
    def methods(self) -> list[str]:
        seen: list[str] = []
        for endpoint in self.endpoints:
            seen.extend(method for method in endpoint.methods if method not in seen)
        return seen

    @property
    def has_params(self) -> bool:
        return "(?P<" in self.pattern


# ------------------------------------------------------------------ index documents
def _endpoint_args(endpoint: Endpoint) -> dict[str, Any] | list[Any]:
    if endpoint.args is None:
        return []
    return {name: dict(schema) for name, schema in endpoint.args.items()}


def route_data(route: Route, base_url: str) -> dict[str, Any]:
    """``WP_REST_Server::get_data_for_route``: namespace, methods, endpoints, and a ``self``
    link for routes without path parameters."""
    data: dict[str, Any] = {
        "namespace": route.namespace,
        "methods": route.methods,
        "endpoints": [
            {"methods": list(endpoint.methods), "args": _endpoint_args(endpoint)}
            for endpoint in route.endpoints
        ],
    }
    if not route.has_params:
        data["_links"] = {"self": [{"href": f"{base_url}/wp-json{route.pattern}"}]}
    return data


def namespace_index(routes: Sequence[Route], namespace: str, base_url: str) -> dict[str, Any]:
    """``GET /wp-json/<namespace>``: every route of the namespace, in registration order."""
    return {
        "namespace": namespace,
        "routes": {
            route.pattern: route_data(route, base_url)
            for route in routes
            if route.namespace == namespace
        },
        "_links": {"up": [{"href": f"{base_url}/wp-json/"}]},
    }


def namespace_root_route(namespace: str, handler: Handler, permission: Permission) -> Route:
    """The namespace's own index route (``/wcfmmp/v1``), registered by WordPress itself."""
    return Route(
        namespace=namespace,
        pattern=f"/{namespace}",
        endpoints=(
            Endpoint(
                methods=("GET",),
                handler=handler,
                permission=permission,
                args={
                    "namespace": {"default": namespace, "required": False},
                    "context": {"default": "view", "required": False},
                },
            ),
        ),
    )
