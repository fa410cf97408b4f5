from typing import Optional

class Conn:
    def close(self):
        pass

def shutdown(conn: Optional[Conn], other: "Conn | None"):
    conn.close()
    other.close()

shutdown(None, None)
