from app.core import boot

boot()
