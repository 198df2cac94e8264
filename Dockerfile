# The image Fly.io builds (fly.toml); any container host can run it the same way.
FROM python:3.11-slim
WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -r requirements.txt
ENV PORT=8080
CMD ["sh", "-c", "uvicorn --host 0.0.0.0 --port $PORT --workers 2 --no-access-log --factory bot.server:create_asgi_app"]
