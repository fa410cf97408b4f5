from .sub import fetch
