/**
 * ImageLocality (v1.35): favours nodes that already have the pod's images (node.status.images).
 * Each container's image counts size × (nodes with it / all nodes); the sum is clamped to
 * [23 MiB, 1000 MiB × containers] and scaled to 0–100. An image without a tag means ":latest".
 * Worked example: two containers, one 500 MiB image on 5 of 10 nodes → 250 MiB;
 * 100 × (250 − 23) / (2000 − 23) MiB = 11.
 */
import type { Pod } from "../../../model/pod.js";
import type { CycleState, NodeInfo, Plugin } from "../../framework/types.js";
import { MAX_NODE_SCORE } from "../../framework/normalize.js";

export const IMAGE_LOCALITY = "ImageLocality";
const MIB = 1024 * 1024;
const MIN_THRESHOLD = 23 * MIB;
const MAX_CONTAINER_THRESHOLD = 1000 * MIB;

export function normalizedImageName(name: string): string {
  return name.lastIndexOf(":") <= name.lastIndexOf("/") ? `${name}:latest` : name;
}

/** The pod's images, normalized, one per container (init containers first), once per pod. */
const podImages = new WeakMap<Pod, readonly string[]>();
function imagesOf(pod: Pod): readonly string[] {
  let images = podImages.get(pod);
  if (images === undefined) {
    images = [...pod.initContainers, ...pod.containers].map((container) => normalizedImageName(container.image));
    podImages.set(pod, images);
  }
  return images;
}

export function newImageLocality(): Plugin {
  return {
    name: IMAGE_LOCALITY,
    score(cycle: CycleState, node: NodeInfo) {
      const images = imagesOf(cycle.pod);
      const onNode = node.node.images;
      let sum = 0;
      if (onNode !== undefined) {
        for (const image of images) {
          const size = onNode[image];
          if (size === undefined) continue;
          sum += Math.trunc(size * ((cycle.imageNodeCounts.get(image) ?? 0) / cycle.allNodes));
        }
      }
      const maxThreshold = MAX_CONTAINER_THRESHOLD * images.length;
      const clamped = Math.min(Math.max(sum, MIN_THRESHOLD), maxThreshold);
      return Math.trunc((MAX_NODE_SCORE * (clamped - MIN_THRESHOLD)) / (maxThreshold - MIN_THRESHOLD));
    },
  };
}
