print("mvcc-bench: not built yet")
