print("raft-bench: not built yet")
