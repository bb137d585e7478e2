# docs/examples/rule-was-wrong.sh: the fixed rules file is deployed to the projector; NAMESPACE is its namespace
bin/dlq-tool rebuild --namespace "$NAMESPACE"             # a dry run: how many entries would change, what would go
bin/dlq-tool rebuild --namespace "$NAMESPACE" --execute   # build beside, switch entry by entry, drop the rest
bin/dlq-tool verify                                       # exit 0: Redis holds exactly what the log implies
