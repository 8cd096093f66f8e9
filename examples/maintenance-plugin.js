// An out-of-tree scheduler plugin, in the shape kube-scheduler's framework gives plugins
// (docs/properties.md, "Your own plugin"). Use it anywhere a built-in plugin goes:
//
//   timoneiro run examples/web-shop.yaml --plugin examples/maintenance-plugin.js
//   timoneiro explain -f cluster.yaml --pod web-1 --plugin examples/maintenance-plugin.js
//   timoneiro check --plugin examples/maintenance-plugin.js --runs 200
//
// Without --config it joins kube's default profile at every point it implements (Filter and
// Score here, weight 1); a KubeSchedulerConfiguration can enable it by name instead.

const MAINTENANCE = "example.com/maintenance";

/** @type {import("timoneiro").Plugin} */
export default {
  name: "AvoidMaintenance",

  // Filter: a node labelled example.com/maintenance=true takes no new pods.
  filter(cycle, node) {
    if (node.node.labels[MAINTENANCE] === "true") return { code: "Unschedulable", reasons: ["node(s) are under maintenance"] };
    return { code: "Success" };
  },

  // Score: fewer pods is better (0..100: the share of the node's pod slots still free).
  score(cycle, node) {
    const slots = node.node.allocatable.pods ?? 110;
    return slots === 0 ? 0 : Math.floor((100 * Math.max(0, slots - node.podCount)) / slots);
  },
};
