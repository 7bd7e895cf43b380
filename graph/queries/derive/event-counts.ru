# Each pair count gets the number of events its acts report (an event counts in the year of its first date).
# Appended to derive-facts.ru in one update; its prefixes are that file's
# (Oxigraph takes no prologue after the first operation).

INSERT {
  GRAPH <https://w3id.org/defence-kg/graph/derived> { ?count dkg:eventCount ?events . }
}
WHERE {
  {
    SELECT ?count (COUNT(DISTINCT ?event) AS ?events)
    WHERE {
      GRAPH <https://w3id.org/defence-kg/graph/derived> {
        ?event a dkg:Event ; dkg:eventRelation ?relation ; dkg:involves ?a, ?b .
        ?a dkg:country ?country .
        ?b dkg:country ?partner .
        OPTIONAL { ?event dkg:firstDate ?date }
      }
      FILTER (?country != ?partner)
      BIND (IRI(CONCAT("https://w3id.org/defence-kg/count/", MD5(CONCAT(STR(?country), " ", STR(?partner), " ", STR(?relation), " ",
                                                                        COALESCE(STR(YEAR(?date)), "undated"))))) AS ?count)
    }
    GROUP BY ?count
  }
  GRAPH <https://w3id.org/defence-kg/graph/derived> { ?count a dkg:PairCount . }
}
