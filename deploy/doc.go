// Package deploy is the portal's AWS deployment, template.yaml (CloudFormation, with the SAM
// transform for the function's code); its tests hold the template to what the portal needs:
// resources and properties CloudFormation knows, least privilege, and queues and buckets that
// the intake and the office's admin work with.
package deploy
