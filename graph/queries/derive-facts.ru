# The derived graph, recomputed whole after every load (pair counts and events: graph/events.py):
# - one dkg:Fact per distinct relation triple (symmetric relations both ways, as in the documents'
#   graphs), with every document and act that states it, the number of documents (not sentences)
#   and the first and last date;
# - a directory of the parties of all acts, each once: its class, a label, its countries and codes,
#   and the source URL of every document, so that queries across documents need not visit every
#   document's graph for them.
PREFIX dkg: <https://w3id.org/defence-kg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>

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
} ;

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> { ?party a ?class ; rdfs:label ?label . }
}
WHERE {
  {
    SELECT ?party ?class (MIN(?name) AS ?label)
    WHERE {
      VALUES ?class { dkg:Person dkg:Country dkg:Organisation }
      GRAPH ?doc { ?act dkg:participant|dkg:subject|dkg:object ?party . ?party a ?class ; rdfs:label ?name . }
    }
    GROUP BY ?party ?class
  }
} ;

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> { ?party dkg:country ?country . ?country dkg:countryCode ?code . }
}
WHERE {
  {
    SELECT DISTINCT ?party ?country ?code
    WHERE {
      GRAPH ?doc { ?act dkg:participant|dkg:subject|dkg:object ?party . ?party dkg:country ?country . ?country dkg:countryCode ?code . }
    }
  }
} ;

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> { ?doc dkg:sourceUrl ?url . }
}
WHERE {
  GRAPH ?doc { ?doc a dkg:Document ; dkg:sourceUrl ?url . }
}
