print("raft-sim: not built yet")
