"""The channel layer for ``KRING_CHANNEL_LAYER=pubsub`` (the default), with one leak closed."""

import uuid

from channels_redis.pubsub import RedisPubSubChannelLayer


class PubSubChannelLayer(RedisPubSubChannelLayer):
    """channels-redis's ``RedisPubSubChannelLayer``, except that a new channel whose
    subscription fails is forgotten.

    channels-redis puts a channel's queue in place before it subscribes, and removes it only
    when a receive on the channel is cancelled. A consumer whose ``new_channel`` failed
    (Redis down) never receives: each WebSocket turned away during an outage left a queue
    behind for the life of the process, and browsers retry every few seconds.
    """

    async def new_channel(self, prefix="specific."):
        layer = self._get_layer()
        channel = f"{layer.prefix}{prefix}{uuid.uuid4().hex}"  # as channels-redis names it
        try:
            await layer._subscribe_to_channel(channel)
        except BaseException:
            layer.channels.pop(channel, None)
            raise
        return channel
