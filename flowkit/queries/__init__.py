"""The saved queries: templates in ``sql/``, their parameters, rendering for a table, and checks.

``saved_queries`` is the one owner of which SQL is deployed; the local engine and the Athena runner
render the same templates through ``render``. ``tables`` says which table (VPC or transit gateway flow
logs) a template reads.
"""

from flowkit.queries.library import SQL_DIR, find, load_all, load_catalogue
from flowkit.queries.params import (
    MAX_PARAMS,
    PARAM_KINDS,
    STRING_KINDS,
    Param,
    ParamKind,
    QueryError,
    athena_execution_parameters,
    coerce_params,
)
from flowkit.queries.render import (
    OK_PREDICATE,
    RenderContext,
    RenderedQuery,
    context_for,
    context_of,
    contexts_for,
    is_available,
    quote_identifier,
    render,
    render_all,
    timestamp_literal,
    transit_context_for,
    window_predicate,
)
from flowkit.queries.saved import MAX_NAMED_QUERY_NAME, SavedQuery, named_query_name, saved_queries
from flowkit.queries.tables import TRANSIT, VPC, TableKind
from flowkit.queries.template import QueryTemplate, parse_template

__all__ = [
    "MAX_NAMED_QUERY_NAME",
    "MAX_PARAMS",
    "OK_PREDICATE",
    "PARAM_KINDS",
    "SQL_DIR",
    "STRING_KINDS",
    "TRANSIT",
    "VPC",
    "Param",
    "ParamKind",
    "QueryError",
    "QueryTemplate",
    "RenderContext",
    "RenderedQuery",
    "SavedQuery",
    "TableKind",
    "athena_execution_parameters",
    "coerce_params",
    "context_for",
    "context_of",
    "contexts_for",
    "find",
    "is_available",
    "load_all",
    "load_catalogue",
    "named_query_name",
    "parse_template",
    "quote_identifier",
    "render",
    "render_all",
    "saved_queries",
    "timestamp_literal",
    "transit_context_for",
    "window_predicate",
]
