"""RDF/OWL export of the ontology and the graph."""
