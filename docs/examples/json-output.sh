# docs/examples/json-output.sh: the same answers for scripts: one JSON object, or JSON Lines for lists
bin/dlq-tool status -o json
bin/dlq-tool dlq stats -o json
bin/dlq-tool dlq list -o json --limit 0
bin/dlq-tool dlq inspect 0:0 -o json
