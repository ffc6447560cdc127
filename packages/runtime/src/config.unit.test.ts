import { describe, expect, it } from 'vitest';
import { Type } from '@sinclair/typebox';
import { loadConfig, commonConfig, ConfigError, brokerList } from './config.ts';

const schema = Type.Object({
  ...commonConfig,
  GATEWAY_PORT: Type.Integer({ default: 8080, minimum: 1, maximum: 65535 }),
  GATEWAY_STRICT: Type.Boolean({ default: false }),
});

describe('loadConfig', () => {
  it('given an empty environment, gives the one-machine defaults', () => {
    const config = loadConfig(schema, {});
    expect(config).toMatchObject({ KAFKA_BROKERS: '127.0.0.1:9092', SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081', GATEWAY_PORT: 8080, GATEWAY_STRICT: false, LOG_LEVEL: 'info', HUB_DATA_DIR: '.hub' });
  });

  it('converts numbers and booleans from their text', () => {
    expect(loadConfig(schema, { GATEWAY_PORT: '9000', GATEWAY_STRICT: 'true' })).toMatchObject({ GATEWAY_PORT: 9000, GATEWAY_STRICT: true });
  });

  it('names every bad variable and why', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { GATEWAY_PORT: 'eighty', LOG_LEVEL: 'loud', KAFKA_BROKERS: 'a:1, b:2' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain('GATEWAY_PORT="eighty"');
    expect(message).toContain('LOG_LEVEL="loud"');
    expect(message).toContain('KAFKA_BROKERS="a:1, b:2"');
  });

  it('splits broker lists', () => {
    expect(brokerList('a:1,b:2')).toEqual(['a:1', 'b:2']);
  });
});
