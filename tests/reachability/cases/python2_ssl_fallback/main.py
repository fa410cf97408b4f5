# requests 2.31's __init__.py: urllib3's pyOpenSSL backend only where ssl lacks SNI
try:
    try:
        import ssl
    except ImportError:
        ssl = None

    if not getattr(ssl, "HAS_SNI", False):
        inject_pyopenssl()
except ImportError:
    pass

if not ssl.HAS_SNI:
    inject_pyopenssl()

if getattr(ssl, "HAS_NPN", False):  # not known to be true everywhere: kept
    negotiate()


def inject_pyopenssl():
    pass


def negotiate():
    pass
