/** The generic keyed feed and the topic bus: one mechanism for every stream the backend pushes. */
export * from './types.ts';
export { createKeyedFeed } from './keyed-feed.ts';
export { TopicBus, type TopicBusOptions } from './topic-bus.ts';
export { socketWritable, type BufferedSocket, type SocketWritableOptions } from './backpressure.ts';
