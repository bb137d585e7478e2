# docs/examples/dlq-triage.sh: the DLQ is filling. What is in it, and why? (PROJECTOR_* set as for the projector)
bin/dlq-tool status                                     # members, lag per partition, DLQ size and oldest failure
bin/dlq-tool dlq stats --since 24h                      # counts by reason, event type, original topic and hour
bin/dlq-tool dlq list --pending --reason UNKNOWN_TYPE   # the records not yet replayed, the first 50
bin/dlq-tool dlq inspect 0:0                            # one record: where it came from, its cause, every header
bin/dlq-tool dlq inspect 0:0 --stacktrace --show-payload
bin/dlq-tool dlq replay --reason UNKNOWN_TYPE           # once the cause is fixed: a dry run; then add --execute
