from alembic import context

from zhibang_desktop.storage.models import Base
from zhibang_desktop.storage.search_index import include_object

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("zhibang migrations run through zhibang_desktop.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    include_object=include_object,
)
with context.begin_transaction():
    context.run_migrations()
