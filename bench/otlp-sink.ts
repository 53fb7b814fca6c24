/**
 * A local OTLP/HTTP endpoint for the tracing scenario: takes every export and counts it, parsing nothing,
 * so the services pay the full price of exporting while the benchmark's own process pays little.
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export class OtlpSink {
  exports = 0;
  bytes = 0;

  private constructor(private readonly server: Server) {}

  static async start(): Promise<OtlpSink> {
    const sink: OtlpSink = new OtlpSink(
      createServer((request, response) => {
        request.on('data', (chunk: Buffer) => (sink.bytes += chunk.length));
        request.on('end', () => {
          sink.exports += 1;
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        });
      }),
    );
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    return sink;
  }

  /** The variables that make a service export its spans here, batched as by default. */
  get environment(): Record<string, string> {
    return {
      OTEL_TRACES_EXPORTER: 'otlp',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`,
    };
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
