# The derived graph, recomputed whole in one update after every load: one dkg:Fact per distinct
# relation triple (symmetric relations both ways, as in the documents' graphs), with every document
# and act that states it, the number of documents (not sentences) and the first and last date.
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>

DROP SILENT GRAPH <https://w3id.org/defence-kg/graph/derived> ;

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> {
    ?fact a dkg:Fact ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; dkg:sourceCount ?sources .
  }
}
WHERE {
  {
    SELECT ?s ?p ?o (COUNT(DISTINCT ?doc) AS ?sources)
    WHERE {
      GRAPH ?doc {
        ?act dkg:relation ?p ; prov:wasDerivedFrom ?doc .
        { ?act dkg:subject ?s ; dkg:object ?o . } UNION { ?act dkg:participant ?s, ?o . FILTER (?s != ?o) }
      }
    }
    GROUP BY ?s ?p ?o
  }
  BIND (IRI(CONCAT("https://w3id.org/defence-kg/fact/", MD5(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o))))) AS ?fact)
} ;

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> {
    ?fact prov:wasDerivedFrom ?doc ; dkg:statedBy ?act .
  }
}
WHERE {
  GRAPH ?doc {
    ?act dkg:relation ?p ; prov:wasDerivedFrom ?doc .
    { ?act dkg:subject ?s ; dkg:object ?o . } UNION { ?act dkg:participant ?s, ?o . FILTER (?s != ?o) }
  }
  BIND (IRI(CONCAT("https://w3id.org/defence-kg/fact/", MD5(CONCAT(STR(?s), " ", STR(?p), " ", STR(?o))))) AS ?fact)
} ;

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> { ?fact dkg:firstDate ?first ; dkg:lastDate ?last . }
}
WHERE {
  {
    SELECT ?fact (MIN(?date) AS ?first) (MAX(?date) AS ?last)
    WHERE {
      GRAPH <https://w3id.org/defence-kg/graph/derived> { ?fact dkg:statedBy ?act . }
      GRAPH ?doc { ?act dkg:date ?date . }
    }
    GROUP BY ?fact
  }
}
