"""defence-kg graph: RDF mapping, store, SPARQL, network view and the CLI."""
